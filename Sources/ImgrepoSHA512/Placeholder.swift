// placeholder: replaced by the target's implementation
