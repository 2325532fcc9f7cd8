from mlpath.cli import main

main()
