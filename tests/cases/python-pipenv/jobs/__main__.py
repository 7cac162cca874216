print('jobs')
