print('work')
