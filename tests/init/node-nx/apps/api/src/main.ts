import express from 'express'; express().listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? 'localhost');
