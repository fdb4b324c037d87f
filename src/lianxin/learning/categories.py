"""The default category tree (金乡's "码"上家园: speeches and articles, policies, party-history stories, …),
seeded by migration and kept by administrators afterwards."""

# (code, name, parent code)
DEFAULTS = [
    ("speeches", "重要论述", None),
    ("policies", "方针政策", None),
    ("history", "党史故事", None),
    ("history-local", "济宁红色记忆", "history"),
    ("regulations", "党规党纪", None),
    ("models", "先进典型", None),
    ("ageing", "老干部风采", None),
]


def seed(Category) -> None:
    """Create the default categories that are missing (by code), with their paths."""
    by_code = {c.code: c for c in Category.objects.all()}
    for position, (code, name, parent_code) in enumerate(DEFAULTS):
        if code in by_code:
            continue
        parent = by_code.get(parent_code) if parent_code else None
        c = Category.objects.create(name=name, code=code, position=position, parent=parent,
                                    depth=parent.depth + 1 if parent else 0)
        c.path = f"{parent.path if parent else '/'}{c.pk}/"
        c.save(update_fields=["path"])
        by_code[code] = c
