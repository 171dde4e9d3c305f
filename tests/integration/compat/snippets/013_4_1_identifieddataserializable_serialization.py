factory = {
    1: Address
}
