"""lzt.query"""
