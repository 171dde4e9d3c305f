factory = {
    1: Foo
}
