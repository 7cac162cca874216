/* fastsum: a C extension module with one function, built from source by pip. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *sum_squares(PyObject *self, PyObject *args) {
    long long n, i, total = 0;
    if (!PyArg_ParseTuple(args, "L", &n)) {
        return NULL;
    }
    for (i = 1; i <= n; i++) {
        total += i * i;
    }
    return PyLong_FromLongLong(total);
}

static PyMethodDef methods[] = {
    {"sum_squares", sum_squares, METH_VARARGS, "The sum of the squares of 1..n."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "fastsum", "A tiny C extension.", -1, methods,
};

PyMODINIT_FUNC PyInit_fastsum(void) { return PyModule_Create(&module); }
