print('no manifest')
