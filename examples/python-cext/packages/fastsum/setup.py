from setuptools import Extension, setup

setup(ext_modules=[Extension("fastsum", sources=["fastsum.c"])])
