// placeholder: the output layer
