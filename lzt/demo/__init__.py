"""lzt.demo"""
