"""Page-number pagination with no ceiling: any page of any size up to MAX_PAGE_SIZE, to the last film."""

import math

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def page_link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request, items, count: int, page: int, page_size: int) -> dict:
    """`items` is sliced lazily, so a queryset costs one query for the page whatever its number."""
    pages = max(1, math.ceil(count / page_size))
    start = (page - 1) * page_size
    results = list(items[start : start + page_size]) if page <= pages else []
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": page_size,
        "next": page_link(request, page + 1) if page < pages else None,
        "previous": page_link(request, min(page - 1, pages)) if page > 1 else None,
        "results": results,
    }
