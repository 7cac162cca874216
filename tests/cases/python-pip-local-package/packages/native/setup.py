from setuptools import Extension, setup

setup(ext_modules=[Extension("native", sources=["native.c"])])
