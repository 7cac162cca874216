from django.http import HttpResponse


async def home(request):
    return HttpResponse(f"Django over ASGI ({request.scope['type']}, {request.scope.get('asgi', {}).get('version', '?')})")
