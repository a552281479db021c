"""Who may do what: anyone reads public data; editors write.

Writing is governed by the same Django model permissions as the admin, which the
`editors` group holds (see tracker.editors): an editor can change in
the API exactly what they can change in the admin.
"""

from rest_framework import permissions


class EditorsWriteOrReadOnly(permissions.DjangoModelPermissionsOrAnonReadOnly):
    message = "Only editors may change data: ask for membership of the 'editors' group."
    reads_need_no_login = True  # the schema says so (api.autoschema)

    def has_permission(self, request, view):
        # Reading is open to everyone; answering early also spares building the queryset.
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)


class ReviewTransitionPermission(EditorsWriteOrReadOnly):
    """POST .../transition/ changes a review: it needs the change permission, not add."""

    def get_required_permissions(self, method, model_cls):
        if method == "POST":
            return [f"{model_cls._meta.app_label}.change_{model_cls._meta.model_name}"]
        return super().get_required_permissions(method, model_cls)


class StaffWriteOrReadOnly(permissions.DjangoModelPermissions):
    """Reference data (regulators, courts): anyone reads; staff users holding the model's
    permissions write. A regulator's working-day calendar counts every deadline of its
    proceedings, so being staff alone is not enough."""

    message = "Only staff users with the permission to change regulators and courts may write them."
    reads_need_no_login = True

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(
            request.user and request.user.is_staff and super().has_permission(request, view)
        )
