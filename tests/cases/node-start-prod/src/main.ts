async function bootstrap() {} bootstrap();
