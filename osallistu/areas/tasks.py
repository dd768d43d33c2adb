"""Background tasks of areas: imports started from the staff pages."""

import json
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .importers import run_import
from .models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int, language: str) -> None:
    """Run one queued ImportJob and store its counts and errors; messages use `language`.

    The importer reports progress, which is written to the job at once so that the status page
    can show it while the import runs. An unexpected exception fails the job with a general
    message, and its details go to the log.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.QUEUED:
            logger.info("import job skipped id=%s", job_id)
            return
        job.status = ImportJob.Status.RUNNING
        job.save(update_fields=["status"])

    step = {"last": -1}

    def progress(processed: int, total: int) -> None:
        # Writes about every 2 % of the rows, so that a large file costs some 50 writes.
        if processed != total and processed - step["last"] < max(1, total // 50):
            return
        step["last"] = processed
        progress_write(job_id, processed, total)
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, total_rows=total)

    options = dict(job.summary.get("options", {}))
    with translation.override(language):
        try:
            with job.file.open("rb") as file:
                data = file.read()
            result = run_import(
                job.kind, data, dry_run=job.dry_run, progress=progress, options=options
            )
        except Exception:
            logger.exception("import job failed id=%s kind=%s", job_id, job.kind)
            errors = [
                {"row": None, "message": _("The import failed unexpectedly. Nothing was written.")}
            ]
            _finish(job_id, ImportJob.Status.FAILED, errors, {"options": options})
            return
        errors = [{"row": error.row, "message": str(error)} for error in result.errors]
    summary = {**result.as_dict(), "options": _summary_options(options)}
    status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
    _finish(job_id, status, errors, summary, rows=result.rows_read)
    default_storage.delete(_progress_name(job_id))
    logger.info(
        "import job finished id=%s kind=%s status=%s rows=%s",
        job_id,
        job.kind,
        status,
        result.rows_read,
    )


def _summary_options(options: dict) -> dict:
    # The Sotkanet regions list is long and already applied; keep only its size.
    if "regions" in options:
        options = {**options, "regions": len(options["regions"])}
    return options


def _finish(job_id: int, status: str, errors: list, summary: dict, rows: int | None = None):
    fields = {
        "status": status,
        "errors": errors,
        "summary": summary,
        "finished_at": timezone.now(),
    }
    if rows is not None:
        fields.update(processed_rows=rows, total_rows=rows)
    ImportJob.objects.filter(pk=job_id).update(**fields)


def _progress_name(job_id: int) -> str:
    return f"imports/progress/{job_id}.json"


def progress_write(job_id: int, processed: int, total: int) -> None:
    """Store a running import's progress in the shared file storage.

    Importers write in one database transaction, so rows they update stay invisible to the status
    page until the end; a file in the storage that all application processes share is seen at once.
    """
    name = _progress_name(job_id)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps({"processed": processed, "total": total})))


def progress_read(job: ImportJob) -> tuple[int, int]:
    """Return (processed, total) rows of the job: live while it runs, else the stored counts."""
    name = _progress_name(job.pk)
    if job.status == ImportJob.Status.RUNNING and default_storage.exists(name):
        try:
            with default_storage.open(name) as file:
                data = json.loads(file.read())
            return int(data["processed"]), int(data["total"])
        except (OSError, ValueError, KeyError):
            # A file caught between its deletion and rewrite: show the stored counts this time.
            pass
    return job.processed_rows, job.total_rows
