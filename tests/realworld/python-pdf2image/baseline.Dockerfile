# Baseline for tests/realworld/python-pdf2image: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 000: the app copied whole onto python:<v>-slim, a full pip install),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.

FROM python:3.12-slim
WORKDIR /app

# Install system dependencies
RUN apt-get update && \
    apt-get install -y poppler-utils

# Copy application source code
COPY . /app

# Install application dependencies
RUN pip install --no-cache-dir -r requirements.txt

# Expose port (if required)
EXPOSE 8000

# Run application
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
