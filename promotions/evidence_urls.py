"""Evidence pack pages: per person, printable, xlsx, frozen snapshots, batch exports."""

urlpatterns: list = []
