# Baseline for tests/realworld/python-pdm: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 000: the app copied whole onto python:<v>-slim, a full pip install),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviation: `pip install .` (the project's pyproject.toml) instead of requirements.txt; pdm.lock is not used.

FROM python:3.12-slim
WORKDIR /app

# Copy application source code
COPY . /app

# Install application dependencies
RUN pip install --no-cache-dir .

# Expose port (if required)
EXPOSE 8000

# Run application
CMD ["uvicorn", "pdmapp.main:app", "--host", "0.0.0.0", "--port", "8000"]
