"""Admin for the center's configuration: the skills catalog, what each window requires, the
assessment-to-skill map, and the course catalog. Sessions, enrollments and attendance go through
the training pages (their services derive the outside-hours flag, credit hours, check scope)."""

from django.contrib import admin

from .models import CategorySkill, Course, CourseSkill, PolicyUpdate, Skill, WindowSkillRequirement


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "service_item", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    raw_id_fields = ("service_item",)


@admin.register(WindowSkillRequirement)
class WindowSkillRequirementAdmin(admin.ModelAdmin):
    list_display = ("window", "skill", "level")
    list_filter = ("skill",)
    search_fields = ("window__code", "window__name", "skill__name")
    raw_id_fields = ("window",)
    list_select_related = ("window", "skill")


@admin.register(CategorySkill)
class CategorySkillAdmin(admin.ModelAdmin):
    list_display = ("origin", "category", "skill", "weight")
    list_filter = ("origin",)
    list_select_related = ("skill",)


class CourseSkillInline(admin.TabularInline):
    model = CourseSkill
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "category", "side", "department", "hours", "mandatory")
    list_filter = ("category", "side", "mandatory", "active")
    search_fields = ("code", "title")
    inlines = [CourseSkillInline]
    list_select_related = ("department",)

    def get_readonly_fields(self, request, obj=None):
        """A course with sessions keeps its category and organizer: the hours already credited
        for it are kept per category and side (``TrainingHours``) and in frozen evidence."""
        if obj is not None and obj.pk and obj.sessions.exists():
            return ("category", "side", "department")
        return ()


@admin.register(PolicyUpdate)
class PolicyUpdateAdmin(admin.ModelAdmin):
    list_display = ("title", "published_on", "deadline", "course", "closed")
    list_filter = ("closed",)
    search_fields = ("title",)
    filter_horizontal = ("service_items",)
    list_select_related = ("course",)
