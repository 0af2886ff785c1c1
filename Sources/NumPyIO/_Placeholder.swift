// module NumPyIO
