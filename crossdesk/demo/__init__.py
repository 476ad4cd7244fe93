def load_demo(stdout) -> None:
    stdout.write("demo: nothing yet")
