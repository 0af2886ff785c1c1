// module Experiments
