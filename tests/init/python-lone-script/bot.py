from replies import reply

if __name__ == "__main__":
    print(reply("ping"))
