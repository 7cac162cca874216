import time


def main():
    while True:
        print("worker: nothing queued", flush=True)
        time.sleep(60)


if __name__ == "__main__":
    main()
