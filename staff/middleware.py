"""Who and which request every history event and staff read belongs to."""

import uuid

from pghistory.middleware import HistoryMiddleware


class RequestHistoryMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and URL on every tracked change) plus a request id, also sent as X-Request-ID."""

    def get_context(self, request):
        request.request_id = uuid.uuid4()
        return {**super().get_context(request), "request_id": str(request.request_id)}

    def __call__(self, request):
        response = super().__call__(request)
        if getattr(request, "request_id", None):
            response["X-Request-ID"] = str(request.request_id)
        return response
