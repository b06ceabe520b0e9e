from p0gate.cli import main

main()
