# Baseline for tests/realworld/python-lone-bot: written by hand the way the seeds in
# /work/shared/seeds teach it (seed 000: the app copied whole onto python:<v>-slim, a full pip install),
# to compare stagegen's output against in the size benchmarks (build context: app/).
# Deliberately NOT optimized; do not "fix" it.
# Deviation: no pip install: there is no dependency file.

FROM python:3.12-slim
WORKDIR /app

# Copy application source code
COPY . /app

# Run application
CMD ["python", "bot.py"]
