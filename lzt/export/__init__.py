"""lzt.export"""
