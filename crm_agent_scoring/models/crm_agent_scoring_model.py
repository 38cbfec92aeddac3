"""One record per training run of the lead scorer: its data, its validation against Odoo's PLS on the
same held-out leads, and the fitted model bytes (system-only, hash-checked before every load)."""

import base64
import hashlib
import hmac
import logging
import math
import time
from collections import OrderedDict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import storage, validation
from ..engine.explain import global_importance
from ..engine.features import MIN_SUPPORT
from ..engine.model import MIN_LOST, MIN_WON, LeadScorer
from ..engine.pls import Stage

_logger = logging.getLogger(__name__)

HOLDOUT_FRACTION = 0.3
SNAPSHOT_BATCH = 1000
IMPORTANCE_SAMPLE = 2000
LIVE_PARAM = "crm_agent_scoring.live"
# Unpickled scorers by (database, model id, sha256): the bytes are still read and hash-checked before
# each use; only the unpickling is skipped when the checked hash is one already loaded.
_SCORER_CACHE = OrderedDict()
_SCORER_CACHE_SIZE = 4


class CrmAgentScoringModel(models.Model):
    _name = "crm.agent.scoring.model"
    _description = "Lead scoring model"
    _order = "company_id, version desc, id desc"

    name = fields.Char(required=True, readonly=True)
    version = fields.Integer(readonly=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [
            ("draft", "Not trained"),
            ("shadow", "Shadow"),
            ("active", "Active"),
            ("archived", "Archived"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        help="Not trained: too little history (Odoo's scoring stays in charge). Shadow: scores are "
        "shown, nothing else. Active: an administrator activated it; it may drive the probability "
        "and propose actions.",
    )
    message = fields.Text(readonly=True, help="Outcome of the training run.")
    training_log = fields.Text(readonly=True)
    training_date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    training_duration = fields.Float("Training time (s)", readonly=True, digits=(16, 1))
    trained_by_id = fields.Many2one("res.users", readonly=True)
    activated_by_id = fields.Many2one("res.users", readonly=True)
    activated_date = fields.Datetime(readonly=True)

    # data window and sizes
    date_from = fields.Datetime("Oldest outcome", readonly=True)
    date_to = fields.Datetime("Newest outcome", readonly=True)
    holdout_date_from = fields.Datetime("Held-out leads from", readonly=True)
    n_won = fields.Integer("Won leads", readonly=True)
    n_lost = fields.Integer("Lost leads", readonly=True)
    n_train = fields.Integer("Training leads", readonly=True)
    n_holdout = fields.Integer("Held-out leads", readonly=True)
    holdout_won_rate = fields.Float("Held-out won rate", readonly=True, digits=(16, 3))

    # features
    feature_ids = fields.Many2many(
        "crm.agent.scoring.feature",
        "crm_agent_scoring_model_feature_rel",
        string="Features used",
        readonly=True,
    )
    excluded_feature_ids = fields.Many2many(
        "crm.agent.scoring.feature",
        "crm_agent_scoring_model_excluded_feature_rel",
        string="Excluded features",
        readonly=True,
    )
    feature_names = fields.Text("Model columns", readonly=True)
    feature_importance = fields.Json(readonly=True)
    dropped_features = fields.Json(
        readonly=True,
        help="Fields left out at training, each with its reason: {'unstable': [[code, recent AUC]], "
        "'empty': [code], 'pooled': {code: [values]}, 'pooled_tags': [tags]}",
    )
    features_html = fields.Html("Fields left out", compute="_compute_features_html", sanitize=False)
    pls_diagnostics = fields.Json(
        readonly=True,
        help="How Odoo's PLS was configured and fitted for the validation, and per PLS field how it "
        "ranked the held-out leads.",
    )

    # validation: ours and Odoo's PLS on the same most recent held-out leads
    auc = fields.Float("AUC", readonly=True, digits=(16, 3))
    pls_auc = fields.Float("PLS AUC", readonly=True, digits=(16, 3))
    brier = fields.Float(readonly=True, digits=(16, 4))
    pls_brier = fields.Float("PLS Brier", readonly=True, digits=(16, 4))
    log_loss = fields.Float("Log loss", readonly=True, digits=(16, 4))
    pls_log_loss = fields.Float("PLS log loss", readonly=True, digits=(16, 4))
    lift_top10 = fields.Float("Top-decile lift", readonly=True, digits=(16, 2))
    pls_lift_top10 = fields.Float("PLS top-decile lift", readonly=True, digits=(16, 2))
    calibration = fields.Json(readonly=True, help="Deciles: {'ours': [...], 'pls': [...]}")
    verdict_checks = fields.Json(readonly=True)
    beats_pls = fields.Boolean(
        "Beats PLS",
        readonly=True,
        help="AUC at least 0.02 above PLS, and lower Brier score and log loss, on the held-out leads.",
    )
    validation_html = fields.Html(compute="_compute_validation_html", sanitize=False)
    segment_ids = fields.One2many("crm.agent.scoring.segment", "model_id", readonly=True)
    lead_count = fields.Integer("Scored leads", compute="_compute_lead_count")

    # the fitted scorer: written by the training code only (sudo), never by a user
    model_data = fields.Binary(
        attachment=False, readonly=True, copy=False, groups="base.group_system"
    )
    model_sha256 = fields.Char(readonly=True, copy=False, groups="base.group_system")
    model_signature = fields.Char(readonly=True, copy=False, groups="base.group_system")

    _one_active_per_company = models.UniqueIndex(
        "(company_id) WHERE state = 'active'", "Only one scoring model can be active per company."
    )

    # ------------------------------------------------------------------
    # A model is a training run's record: nobody edits it by hand
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Scoring models are created by training only."))
        return super().create(vals_list)

    def write(self, vals):
        """Lifecycle fields change through the action methods, metrics through training: both
        write in superuser mode. Anything else (a state, a metric, who trained or activated it)
        would skip the activation checks or forge the audit, so users never write a model."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Scoring models change only by training and by their buttons (activate, back "
                    "to shadow mode, archive); %(fields)s cannot be written.",
                    fields=", ".join(sorted(vals)),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_lead_count(self):
        counts = dict(
            self.env["crm.lead"]._read_group(
                [("agent_scoring_model_id", "in", self.ids)],
                ["agent_scoring_model_id"],
                ["__count"],
            )
        )
        for model in self:
            model.lead_count = counts.get(model, 0)

    @api.depends("dropped_features")
    def _compute_features_html(self):
        for model in self:
            model.features_html = model._render_dropped_features()

    def _render_dropped_features(self):
        """Which fields the model does not use, and why, in words."""
        self.ensure_one()
        _t = self.env._
        dropped = self.dropped_features or {}
        items = []
        unstable = dropped.get("unstable") or []
        if unstable:
            names = ", ".join(
                _t("%(field)s (AUC %(auc).2f)", field=self._feature_label(code), auc=auc)
                for code, auc in unstable
            )
            items.append(
                _t(
                    "Left out as unstable: %(fields)s. What these fields showed on the older closed "
                    "leads did not hold on the most recent ones: learnt on the older 80%% of the "
                    "training leads, each ranked the most recent 20%% worse than chance (AUC below "
                    "0.50), so the model does not rely on them.",
                    fields=names,
                )
            )
        empty = dropped.get("empty") or []
        if empty:
            items.append(
                _t(
                    "Not filled on any closed lead: %s.",
                    ", ".join(self._feature_label(code) for code in empty),
                )
            )
        items.append(
            _t(
                "Age is not used, and messages, activities and meetings are read per month: a "
                "closed lead's counts cover its whole life while an open lead is often young, so "
                "raw counts would mistake time in the pipeline for interest."
            )
        )
        pooled = dropped.get("pooled") or {}
        for code, values in sorted(pooled.items()):
            shown = ", ".join(values[:10]) + (", …" if len(values) > 10 else "")
            items.append(
                _t(
                    "%(field)s: values seen on fewer than %(n)s closed leads are read together as "
                    "'another value' (%(values)s).",
                    field=self._feature_label(code),
                    n=MIN_SUPPORT,
                    values=shown,
                )
            )
        tags = dropped.get("pooled_tags") or []
        if tags:
            shown = ", ".join(tags[:10]) + (", …" if len(tags) > 10 else "")
            items.append(
                _t(
                    "Tags on fewer than %(n)s closed leads are not used (%(tags)s).",
                    n=MIN_SUPPORT,
                    tags=shown,
                )
            )
        return Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % item for item in items)

    @api.depends("auc", "pls_auc", "calibration", "feature_importance", "state", "pls_diagnostics")
    def _compute_validation_html(self):
        for model in self:
            model.validation_html = model._render_validation() if model.n_holdout else False

    def _render_validation(self):
        """Side-by-side table of both models' metrics, with bars, and the calibration deciles."""
        self.ensure_one()
        _t = self.env._

        def bar(value, scale, colour):
            width = (
                0 if value is None or math.isnan(value) else max(0, min(100, 100 * value / scale))
            )
            return Markup(
                '<div style="background:#eee;width:160px;height:10px;display:inline-block">'
                '<div style="background:%s;width:%.0f%%;height:10px"></div></div>'
            ) % (colour, width)

        rows = [
            (_t("AUC (higher is better)"), self.auc, self.pls_auc, 1.0, "%.3f"),
            (_t("Brier score (lower is better)"), self.brier, self.pls_brier, 0.5, "%.4f"),
            (_t("Log loss (lower is better)"), self.log_loss, self.pls_log_loss, 1.5, "%.4f"),
            (_t("Top-decile lift (higher is better)"), self.lift_top10, self.pls_lift_top10,
             max(self.lift_top10, self.pls_lift_top10, 1.0), "%.2f"),
        ]  # fmt: skip
        body = Markup()
        for label, ours, pls, scale, fmt in rows:
            body += Markup("<tr><td>%s</td><td>%s %s</td><td>%s %s</td></tr>") % (
                label,
                fmt % ours,
                bar(ours, scale, "#017e84"),
                fmt % pls,
                bar(pls, scale, "#a0a0a0"),
            )
        html = Markup(
            '<table class="table table-sm o_agent_scoring_validation"><thead><tr><th></th>'
            "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (_t("This model"), _t("Odoo PLS"), body)

        html += self._render_pls_diagnostics()
        calibration = self.calibration or {}
        ours, pls = calibration.get("ours") or [], calibration.get("pls") or []
        if ours:
            cal_rows = Markup()
            for i, row in enumerate(ours):
                other = pls[i] if i < len(pls) else {}
                cal_rows += Markup(
                    "<tr><td>%s</td><td>%s</td><td>%.1f%%</td><td>%.1f%%</td><td>%s</td><td>%s</td></tr>"
                ) % (
                    row["decile"],
                    row["n"],
                    100 * row["mean_predicted"],
                    100 * row["observed_rate"],
                    ("%.1f%%" % (100 * other["mean_predicted"])) if other else "",
                    ("%.1f%%" % (100 * other["observed_rate"])) if other else "",
                )
            html += Markup(
                '<h5>%s</h5><table class="table table-sm"><thead><tr><th>%s</th><th>%s</th>'
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                _t("Calibration on the held-out leads (deciles of predicted probability)"),
                _t("Decile"),
                _t("Leads"),
                _t("Predicted (ours)"),
                _t("Won (ours)"),
                _t("Predicted (PLS)"),
                _t("Won (PLS)"),
                cal_rows,
            )
        importance = self.feature_importance or []
        if importance:
            top = importance[:12]
            scale = max(value for _name, value in top) or 1.0
            imp_rows = Markup()
            for name, value in top:
                imp_rows += Markup("<tr><td>%s</td><td>%s %.3f</td></tr>") % (
                    self._feature_label(name),
                    bar(value, scale, "#017e84"),
                    value,
                )
            html += Markup('<h5>%s</h5><table class="table table-sm"><tbody>%s</tbody></table>') % (
                _t("What the model relies on most (mean absolute effect, log-odds)"),
                imp_rows,
            )
        return html

    def _render_pls_diagnostics(self):
        """How Odoo's PLS was fitted for this comparison, and why it may rank worse than chance."""
        self.ensure_one()
        _t = self.env._
        diag = self.pls_diagnostics or {}
        if not diag:
            return Markup()
        field_labels = diag.get("field_labels") or {}
        text = _t(
            "Odoo PLS here is Odoo's own predictive lead scoring as this database configures it "
            "(fields: %(fields)s), with its frequency tables rebuilt by Odoo's rules from the "
            "%(n_train)s training leads it would count (closed and created since its start date "
            "%(start)s) and none of the held-out leads, and each held-out lead scored at the first "
            "stage: the stage a lead is won or lost in is its outcome (PLS puts won leads at 100%%).",
            fields=", ".join(field_labels.values()) or _t("none"),
            n_train=diag.get("n_train", 0),
            start=diag.get("start_date") or _t("not set"),
        )
        paragraphs = [text]
        if diag.get("n_unscored"):
            paragraphs.append(
                _t(
                    "PLS computed no probability for %(n)s held-out leads (no won or no lost lead in "
                    "their team): they count as 0%%, as on a new lead.",
                    n=diag["n_unscored"],
                )
            )
        field_auc = diag.get("field_auc") or {}
        reversed_fields = [
            _t("%(field)s (AUC %(auc).2f)", field=field_labels.get(name, name), auc=auc)
            for name, auc in sorted(field_auc.items(), key=lambda item: item[1])
            if auc < 0.5
        ]
        if self.pls_auc and self.pls_auc < 0.5:
            paragraphs.append(
                _t(
                    "PLS ranks the held-out leads worse than chance (AUC %(auc).3f). Fields whose "
                    "effect in the training leads is reversed in the held-out ones: %(fields)s. What "
                    "won before is losing now (drift), and naive Bayes adds these effects up without "
                    "checking whether they still hold.",
                    auc=self.pls_auc,
                    fields=", ".join(reversed_fields) or _t("none alone: their combination"),
                )
            )
        elif reversed_fields:
            paragraphs.append(
                _t(
                    "PLS fields whose effect is reversed in the held-out leads: %s.",
                    ", ".join(reversed_fields),
                )
            )
        return Markup().join(Markup('<p class="text-muted small">%s</p>') % p for p in paragraphs)

    def _feature_label(self, column):
        """Human name of an engine column (``country``, ``tag:Hot``)."""
        if column.startswith("tag:"):
            return self.env._("Tag %s", column[4:])
        labels = self.env["crm.lead"]._agent_scoring_feature_labels()
        return labels.get(column, column.replace("_", " ").capitalize())

    # ------------------------------------------------------------------
    # Training
    # ------------------------------------------------------------------

    @api.model
    def _cron_train_models(self):
        """Nightly: one training run per company that has closed leads."""
        Action = self.env["crm.agent.action"]
        in_cron = bool(self.env.context.get("cron_id"))
        # every company: a handful of rows, and the job must see those the cron user is not in
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        for done, company in enumerate(companies, start=1):
            if Action._agent_is_paused():
                _logger.info("Lead scoring: the agent is paused, training stopped")
                return
            self._agent_train(company)
            if in_cron and not self.env["ir.cron"]._commit_progress(
                1, remaining=len(companies) - done
            ):
                return  # out of time: the next run goes on

    def action_train_now(self):
        """Button: train a new model for the current company now."""
        self._check_scoring_manager()
        model = self._agent_train(self.env.company)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": model.id,
            "view_mode": "form",
            "target": "current",
        }

    def _check_scoring_manager(self):
        if not (self.env.su or self.env.user.has_group("crm_agent.group_agent_manager")):
            raise AccessError(
                self.env._("Only a CRM agent manager can train or activate scoring models.")
            )

    @api.model
    def _agent_train(self, company):
        """Train on the company's won and lost leads, validate against PLS on the most recent ones,
        and record the run. Below the minimum history the record says so and no model is stored."""
        started = time.monotonic()
        log = []

        def note(text):
            log.append(f"{time.monotonic() - started:6.1f}s  {text}")
            _logger.info("Lead scoring (%s): %s", company.name, text)

        Lead = (
            self.env["crm.lead"].sudo().with_context(active_test=False)
        )  # sudo: training reads the company's closed leads (a job or a manager's button); only aggregates are kept
        leads = Lead.search(
            [("won_status", "in", ("won", "lost")), ("company_id", "in", [company.id, False])]
        )
        excluded = (
            company.sudo().agent_scoring_excluded_feature_ids
        )  # sudo: the company's fairness settings
        version = (
            self.sudo().search_count([("company_id", "=", company.id)]) + 1
        )  # sudo: the version counter
        vals = {
            "name": self.env._("Scoring model v%(version)s", version=version),
            "version": version,
            "company_id": company.id,
            "trained_by_id": self.env.uid,
            "excluded_feature_ids": [fields.Command.set(excluded.ids)],
        }
        n_won = sum(1 for status in leads.mapped("won_status") if status == "won")
        n_lost = len(leads) - n_won
        vals.update(n_won=n_won, n_lost=n_lost)
        note(f"{n_won} won and {n_lost} lost leads")
        if n_won < MIN_WON or n_lost < MIN_LOST:
            vals["message"] = self.env._(
                "Not trained: at least %(min_won)s won and %(min_lost)s lost leads are needed, "
                "there are %(won)s won and %(lost)s lost. Odoo's predictive lead scoring stays in "
                "charge.",
                min_won=MIN_WON,
                min_lost=MIN_LOST,
                won=n_won,
                lost=n_lost,
            )
            note(vals["message"])
            vals.update(training_log="\n".join(log), training_duration=time.monotonic() - started)
            return self.sudo().create(vals)  # sudo: models are written by training only

        snapshots, cutoffs = [], []
        for start in range(0, len(leads), SNAPSHOT_BATCH):
            batch = leads[start : start + SNAPSHOT_BATCH]
            batch_snapshots, batch_cutoffs = batch._agent_scoring_snapshots()
            snapshots += batch_snapshots
            cutoffs += batch_cutoffs
        # time order: the held-out leads are those decided last
        order = sorted(range(len(leads)), key=lambda i: (cutoffs[i], leads[i].id))
        snapshots = [snapshots[i] for i in order]
        labels = [1 if leads[i].won_status == "won" else 0 for i in order]
        cutoffs = [cutoffs[i] for i in order]
        note("lead snapshots built (history before each outcome only)")

        spec = self.env["crm.lead"]._agent_scoring_spec(excluded.mapped("code"))
        cut = int(len(labels) * (1 - HOLDOUT_FRACTION))
        ordered = leads.browse([leads[i].id for i in order])
        p_pls, pls_diagnostics = self._agent_odoo_pls(ordered[:cut], ordered[cut:], labels[cut:])
        note(
            f"Odoo PLS ({', '.join(pls_diagnostics['field_labels'].values())}) fitted on "
            f"{pls_diagnostics['n_train']} training leads, held-out leads at the first stage"
        )
        # the minimum history applies to all leads; the validation fit sees 70 % of them
        candidate = LeadScorer(spec=spec, min_won=1, min_lost=1)
        result = validation.compare(
            snapshots[:cut],
            labels[:cut],
            snapshots[cut:],
            labels[cut:],
            scorer=candidate,
            spec=spec,
            p_pls=p_pls,
        )
        ours, pls = result["ours"], result["pls"]
        note(
            f"held-out validation on {ours['n']} leads: AUC {ours['auc']:.3f} (PLS {pls['auc']:.3f})"
        )
        segments = []
        for dimension in ("country", "team"):
            ours_rows = validation.segment_report(
                snapshots[cut:], labels[cut:], result["p_ours"], dimension
            )
            pls_auc = {
                row["segment"]: row["auc"]
                for row in validation.segment_report(
                    snapshots[cut:], labels[cut:], result["p_pls"], dimension
                )
            }
            for row in ours_rows:
                segments.append(
                    fields.Command.create(
                        {
                            "dimension": dimension,
                            "segment": row["segment"],
                            "n": row["n"],
                            "won_rate": row["won_rate"],
                            "mean_score": row["mean_score"],
                            "auc": row["auc"] or 0.0,
                            "auc_defined": row["auc"] is not None,
                            "pls_auc": pls_auc.get(row["segment"]) or 0.0,
                        }
                    )
                )

        scorer = LeadScorer(spec=spec).fit(snapshots, labels)
        note(f"final model fitted on all {len(labels)} closed leads")
        encoder = scorer.encoder_
        kept = set(encoder.feature_names_)
        dropped = {
            "unstable": [
                [code, round(scorer.stability_auc_.get(code, 0.0), 3)]
                for code in sorted(scorer.unstable_fields_)
            ],
            "empty": [
                code
                for code in spec.categorical_used + spec.numeric_used
                if code not in kept and code not in scorer.unstable_fields_
            ],
            "pooled": {code: values for code, values in encoder.pooled_.items() if code in kept},
            "pooled_tags": list(encoder.pooled_tags_),
        }
        if dropped["unstable"]:
            note(f"left out as unstable: {', '.join(sorted(scorer.unstable_fields_))}")
        sample = snapshots[-IMPORTANCE_SAMPLE:]
        importance = [[name, round(value, 4)] for name, value in global_importance(scorer, sample)]
        data, sha256 = storage.dumps(scorer)
        note(f"model serialised ({len(data) // 1024} kB, sha256 {sha256[:12]})")

        used_columns = list(scorer.feature_names_in_)
        used_codes = {"tags" if column.startswith("tag:") else column for column in used_columns}
        features = (
            self.env["crm.agent.scoring.feature"]
            .sudo()
            .search([("code", "in", list(used_codes))])  # sudo: the feature catalogue
        )
        verdict = result["verdict"]

        def finite(value):
            return 0.0 if value is None or math.isnan(value) else value

        vals.update({
            "state": "shadow",
            "message": self.env._(
                "Trained on %(n)s closed leads. On the %(holdout)s most recent ones: AUC %(auc).3f "
                "against %(pls).3f for Odoo's PLS. %(verdict)s",
                n=len(labels), holdout=ours["n"], auc=finite(ours["auc"]), pls=finite(pls["auc"]),
                verdict=self.env._("It beats PLS.") if verdict["beats_pls"] else self.env._(
                    "It does not beat PLS: activating it needs an explicit confirmation."
                ),
            ),
            "date_from": cutoffs[0],
            "date_to": cutoffs[-1],
            "holdout_date_from": cutoffs[cut] if cut < len(cutoffs) else False,
            "n_train": cut,
            "n_holdout": len(labels) - cut,
            "holdout_won_rate": ours["won_rate"],
            "feature_ids": [fields.Command.set(features.ids)],
            "feature_names": ", ".join(used_columns),
            "feature_importance": importance,
            "dropped_features": dropped,
            "pls_diagnostics": pls_diagnostics,
            "auc": finite(ours["auc"]), "pls_auc": finite(pls["auc"]),
            "brier": ours["brier"], "pls_brier": pls["brier"],
            "log_loss": ours["log_loss"], "pls_log_loss": pls["log_loss"],
            "lift_top10": finite(ours["lift_top10"]), "pls_lift_top10": finite(pls["lift_top10"]),
            "calibration": {"ours": ours["calibration"], "pls": pls["calibration"]},
            "verdict_checks": verdict["checks"],
            "beats_pls": verdict["beats_pls"],
            "segment_ids": segments,
        })  # fmt: skip
        vals.update(training_log="\n".join(log), training_duration=time.monotonic() - started)
        model = self.sudo().create(vals)
        model._agent_store_scorer(data, sha256)
        # a newer shadow model replaces the older ones; an active model stays until replaced by hand
        older = self.sudo().search([
            ("company_id", "=", company.id), ("state", "=", "shadow"), ("id", "!=", model.id)
        ])  # fmt: skip
        older.write({"state": "archived"})
        model._agent_scoring_changed()
        return model

    @api.model
    def _agent_odoo_pls(self, train_leads, test_leads, test_labels):
        """Odoo's PLS as configured here, fitted on ``train_leads`` only, on ``test_leads``.

        Lead values come from Odoo's own ``_pls_get_lead_pls_values`` (its ``crm.pls_fields``), the
        training leads are those Odoo's rebuild would count (created since ``crm.pls_start_date``,
        probability 100 or 0), the computation is Odoo's (engine/pls.py). Held-out leads are scored at
        the first stage. :return: ``(probabilities in [0, 1], diagnostics)``
        """
        Lead = self.env["crm.lead"]
        pls_fields = Lead._pls_get_safe_fields()
        start = Lead._pls_get_safe_start_date()
        start_date = fields.Date.to_date(start) if start else None
        all_stages = self.env["crm.stage"].sudo()  # sudo: the pipeline's stages, as PLS reads them
        stage_rows = all_stages.search_read([], ["sequence", "is_won", "team_ids"])  # pylint: disable=no-search-all
        stages = [
            Stage(row["id"], row["sequence"], row["is_won"], bool(row["team_ids"]))
            for row in stage_rows
        ]
        first = min(
            (s for s in stages if not s.team_specific),
            key=lambda s: (s.sequence, s.id),
            default=None,
        )
        first_id = first.id if first else None  # no shared stage: PLS gives 0 everywhere
        train_pls = [
            lead
            for record, lead in zip(train_leads, train_leads._agent_pls_leads(), strict=True)
            if start_date and record.create_date.date() >= start_date and lead["outcome"]
        ]
        test_pls = test_leads._agent_pls_leads()
        scorer, probabilities = validation.odoo_pls(
            train_pls, test_pls, pls_fields, stages, first_id
        )
        labels = Lead._fields
        diagnostics = {
            "fields": pls_fields,
            "field_labels": {
                ("tag_id" if name == "tag_ids" else name): labels[name].get_description(self.env)[
                    "string"
                ]
                for name in pls_fields
            },
            "start_date": start or False,
            "first_stage_id": first_id,
            "n_train": len(train_pls),
            "n_unscored": sum(1 for p in probabilities if p is None),
            "field_auc": {
                name: round(auc, 3)
                for name, auc in validation.pls_field_auc(
                    scorer, test_pls, test_labels, first_id
                ).items()
            },
        }
        return [0.0 if p is None else p for p in probabilities], diagnostics

    # ------------------------------------------------------------------
    # Model bytes: written by the system, hash-checked before every load
    # ------------------------------------------------------------------

    def _agent_signature(self, sha256):
        """Tie the hash to this database, so bytes and hash copied or forged together still fail."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        return hmac.new(secret.encode(), f"{self.id}:{sha256}".encode(), hashlib.sha256).hexdigest()

    def _agent_store_scorer(self, data, sha256):
        self.ensure_one()
        self.sudo().write({  # sudo: lifecycle fields change only here (manager checked)
            "model_data": base64.b64encode(data),
            "model_sha256": sha256,
            "model_signature": self._agent_signature(sha256),
        })  # fmt: skip

    def _agent_load_scorer(self):
        """The fitted scorer, after checking its bytes against the stored hash and signature."""
        self.ensure_one()
        record = self.sudo()
        if not record.model_data or not record.model_sha256:
            raise UserError(self.env._("%s has no trained model.", self.name))
        data = base64.b64decode(record.model_data)
        sha256 = hashlib.sha256(data).hexdigest()
        expected_signature = self._agent_signature(record.model_sha256)
        if not hmac.compare_digest(sha256, record.model_sha256) or not hmac.compare_digest(
            expected_signature, record.model_signature or ""
        ):
            _logger.error("Lead scoring: %s failed its integrity check, not loaded", self.name)
            raise UserError(
                self.env._(
                    "%s failed its integrity check: its stored bytes do not match the hash recorded "
                    "at training, so it was not loaded. Train a new model.",
                    self.name,
                )
            )
        key = (self.env.cr.dbname, self.id, sha256)
        scorer = _SCORER_CACHE.get(key)
        if scorer is None:
            try:
                scorer = storage.loads(data, record.model_sha256)
            except storage.ModelIntegrityError as error:
                raise UserError(
                    self.env._("%(model)s was not loaded: %(error)s", model=self.name, error=error)
                ) from error
            _SCORER_CACHE[key] = scorer
            while len(_SCORER_CACHE) > _SCORER_CACHE_SIZE:
                _SCORER_CACHE.popitem(last=False)
        else:
            _SCORER_CACHE.move_to_end(key)
        return scorer

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    @api.model
    def _agent_live_models(self):
        """``{company_id: model}``: the active model of each company, else its shadow model."""
        live = {}
        for model in self.sudo().search(
            [("state", "in", ("active", "shadow"))], order="version desc"
        ):
            current = live.get(model.company_id.id)
            if current is None or (model.state == "active" and current.state != "active"):
                live[model.company_id.id] = model
        return live

    def _agent_scoring_changed(self):
        """After a state change: remember whether any model scores, rescore the company's open leads
        with the model now in charge, and wake the scoring cron."""
        live = self._agent_live_models()
        self.env["ir.config_parameter"].sudo().set_param(LIVE_PARAM, "1" if live else False)
        companies = self.company_id.ids
        if not companies:
            return
        leads = self.env["crm.lead"].sudo().search([  # sudo: rescore every open lead of the company (manager action or job)
            ("won_status", "=", "pending"), ("company_id", "in", companies + [False])
        ])  # fmt: skip
        leads.write({"agent_to_rescore": True})
        self.env["crm.lead"]._agent_scoring_schedule()

    def action_activate(self):
        """Let this model drive probabilities (if set) and propose actions. A model that does not beat
        PLS on its held-out leads needs an explicit confirmation (context flag set by the button)."""
        self._check_scoring_manager()
        for model in self:
            if model.state != "shadow":
                raise UserError(self.env._("Only a trained model in shadow mode can be activated."))
            if not model.beats_pls and not self.env.context.get(
                "crm_agent_scoring_confirm_below_pls"
            ):
                raise UserError(
                    self.env._(
                        "%s does not beat Odoo's predictive lead scoring on the held-out leads. Use "
                        "'Activate anyway' to confirm you want it in charge.",
                        model.name,
                    )
                )
            current = self.sudo().search([  # sudo: the model currently in charge, to shadow it
                ("company_id", "=", model.company_id.id), ("state", "=", "active")
            ])  # fmt: skip
            current._agent_release_probabilities()
            # lifecycle fields are written by these methods only, after the checks above
            current.sudo().write({"state": "archived"})
            model.sudo().write({
                "state": "active", "activated_by_id": self.env.uid, "activated_date": fields.Datetime.now()
            })  # fmt: skip
        self._agent_scoring_changed()
        return True

    def action_set_shadow(self):
        self._check_scoring_manager()
        active = self.filtered(lambda m: m.state == "active")
        active._agent_release_probabilities()
        active.sudo().write({"state": "shadow"})  # lifecycle: only through this button
        active._agent_scoring_changed()
        return True

    def action_archive_model(self):
        self._check_scoring_manager()
        self._agent_release_probabilities()
        self.sudo().write({"state": "archived"})  # lifecycle: only through this button
        self._agent_scoring_changed()
        return True

    def _agent_release_probabilities(self):
        """Give the probability back to Odoo's scoring on open leads where ours still holds it."""
        if not self:
            return
        leads = self.env["crm.lead"].sudo().search([  # sudo: give back the probability on every lead this model holds
            ("agent_scoring_model_id", "in", self.ids), ("won_status", "=", "pending")
        ])  # fmt: skip
        for lead in leads:
            if lead.agent_probability and math.isclose(
                lead.probability, lead.agent_probability, abs_tol=0.005
            ):
                lead.probability = lead.automated_probability

    def action_view_leads(self):
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("agent_scoring_model_id", "in", self.ids)]
        action["context"] = {"active_test": False}
        return action


class CrmAgentScoringSegment(models.Model):
    """Held-out quality of a model per country and per sales team (fairness and drift check)."""

    _name = "crm.agent.scoring.segment"
    _description = "Lead scoring segment report"
    _order = "model_id, dimension, n desc"

    model_id = fields.Many2one(
        "crm.agent.scoring.model", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="model_id.company_id", store=True)
    dimension = fields.Selection([("country", "Country"), ("team", "Sales team")], required=True)
    segment = fields.Char(required=True)
    n = fields.Integer("Leads")
    won_rate = fields.Float(digits=(16, 3))
    mean_score = fields.Float("Mean score (%)", digits=(16, 1))
    auc = fields.Float("AUC", digits=(16, 3))
    auc_defined = fields.Boolean(help="False when the segment holds only won or only lost leads.")
    pls_auc = fields.Float("PLS AUC", digits=(16, 3))
