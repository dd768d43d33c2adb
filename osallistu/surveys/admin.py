"""Admin pages for questionnaires, their items and texts. Answers are not in the admin."""

from django.contrib import admin

from .models import Item, ItemText, Questionnaire


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "kind", "scoring", "text_version"]
    inlines = [ItemInline]


class ItemTextInline(admin.TabularInline):
    model = ItemText
    extra = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind"]
    list_filter = ["questionnaire"]
    inlines = [ItemTextInline]


@admin.register(ItemText)
class ItemTextAdmin(admin.ModelAdmin):
    list_display = ["text", "item", "language", "version", "is_official"]
    list_filter = ["language", "version", "is_official"]
