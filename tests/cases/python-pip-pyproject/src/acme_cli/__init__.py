def main():
    print('acme')
