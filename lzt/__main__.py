from lzt.cli.main import entry

entry()
