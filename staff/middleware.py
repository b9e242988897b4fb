"""Who and which request every history event and staff read belongs to."""

import uuid

from pghistory.middleware import HistoryMiddleware


class RequestHistoryMiddleware(HistoryMiddleware):
    """pghistory's middleware (user and URL on every tracked change) plus a request id, also sent as X-Request-ID.

    Only writing methods carry the context (PGHISTORY_MIDDLEWARE_METHODS): pghistory prefixes every SQL statement
    inside it, which cost a GET about a third of its time, and no GET changes a tracked row.
    """

    def get_context(self, request):
        return {**super().get_context(request), "request_id": str(request.request_id)}

    def __call__(self, request):
        request.request_id = uuid.uuid4()
        response = super().__call__(request)
        response["X-Request-ID"] = str(request.request_id)
        return response
