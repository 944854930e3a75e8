print("imgrepo")
