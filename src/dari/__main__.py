from dari.cli import main

main()
