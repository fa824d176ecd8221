from shuanggang.cli import main

main()
