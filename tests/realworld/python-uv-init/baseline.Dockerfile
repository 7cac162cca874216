# Baseline for tests/realworld/python-uv-init: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 000: the app copied whole onto python:<v>-slim, a full pip install),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviation: `pip install .` (the project's pyproject.toml) instead of requirements.txt; uv.lock is not used.

FROM python:3.11-slim
WORKDIR /app

# Copy application source code
COPY . /app

# Install application dependencies
RUN pip install --no-cache-dir .

# Run application
CMD ["uvhello"]
