@_exported import Diffusion
@_exported import Compute
