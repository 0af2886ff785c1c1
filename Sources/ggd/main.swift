print("ggd")
