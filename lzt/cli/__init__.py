"""lzt.cli"""
