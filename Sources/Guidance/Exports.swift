@_exported import Diffusion
