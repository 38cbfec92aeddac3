"""LeadScorer: drift-aware, exactly explainable won-probability model.

Final score (log-odds) of a lead ``x``::

    z(x) = a + b * h(x) + c * n(x)

- ``h``: gradient-boosted trees (HistGradientBoosting) on the encoded features, raw log-odds output;
- ``n``: a PLS-like smoothed naive-Bayes log-odds, a sum of one term per feature (Odoo's PLS idea, with
  decile bins for numbers and the +alpha smoothing), which generalises better than trees when leads drift;
- ``a, b, c``: a logistic regression fitted on the MOST RECENT slice of the training leads, scored by
  components trained on the older leads only. It re-weights trees vs naive Bayes for the present and
  recalibrates intercept and slope to the current won rate (prior shift). The components are then refitted
  on all training leads.

Drift screen (``stability_min_auc``): before anything else, per-field naive-Bayes terms are learnt on the
older training leads and scored on the recent slice; a field whose learnt effect ranks those recent leads
worse than chance (AUC < 0.5) is left out of both components. Only training leads are used.

Both components are additive per feature (TreeSHAP for ``h``, the per-feature terms for ``n``), and the
blend is affine, so explanations of ``z`` are exact (see explain.py).
"""

import dataclasses

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from .features import FeatureSpec, LeadFeatureEncoder

MIN_WON = 50
MIN_LOST = 50


class InsufficientHistory(ValueError):
    """Too few won or lost leads to train: Odoo's PLS stays in charge."""


def as_snapshots(X):
    """Accept a list of dicts or a pandas DataFrame; return a list of dicts."""
    if hasattr(X, "to_dict"):
        return X.to_dict("records")
    return list(X)


class NaiveBayesTerms:
    """Smoothed per-feature log-likelihood ratios log P(bin | won) / P(bin | lost).

    Categorical codes are their own bins, numbers fall in training quantile bins, missing has its own bin.
    """

    def __init__(self, n_bins=10, alpha=1.0):
        self.n_bins = n_bins
        self.alpha = alpha

    def _bins(self, X):
        out = np.empty(X.shape, dtype=np.int64)
        for j in range(X.shape[1]):
            col = X[:, j]
            missing = np.isnan(col)
            if self.categorical_mask_[j]:
                idx = np.where(missing, 0, np.nan_to_num(col, nan=0.0) + 1).astype(np.int64)
                idx = np.minimum(idx, len(self.tables_[j]) - 1)
            else:
                idx = np.searchsorted(self.edges_[j], col, side="left") + 1
                idx[missing] = 0
            out[:, j] = idx
        return out

    def fit(self, X, y, sample_weight, categorical_mask):
        self.categorical_mask_ = np.asarray(categorical_mask, dtype=bool)
        w1 = sample_weight * y
        w0 = sample_weight * (1 - y)
        W1, W0 = w1.sum(), w0.sum()
        pi = W1 / (W1 + W0)
        self.prior_ = float(np.log(W1 / W0))
        self.edges_ = []
        self.tables_ = []
        for j in range(X.shape[1]):
            col = X[:, j]
            if self.categorical_mask_[j]:
                self.edges_.append(None)
                n_bins = int(np.nanmax(col)) + 2 if np.any(~np.isnan(col)) else 1
                # One extra slot for codes unseen at fit time (mapped to the last bin with no counts).
                n_bins += 1
            else:
                qs = np.linspace(0, 1, self.n_bins + 1)[1:-1]
                finite = col[~np.isnan(col)]
                edges = np.unique(np.quantile(finite, qs)) if finite.size else np.array([])
                self.edges_.append(edges)
                n_bins = len(edges) + 2
            self.tables_.append(np.zeros(n_bins))
        bins = self._bins(X)
        for j in range(X.shape[1]):
            k = len(self.tables_[j])
            c1 = np.bincount(bins[:, j], weights=w1, minlength=k)
            c0 = np.bincount(bins[:, j], weights=w0, minlength=k)
            seen = (c1 + c0) > 0
            k_seen = max(int(seen.sum()), 1)
            a = self.alpha
            llr = np.log((c1 + a * pi) / (W1 + a * k_seen * pi)) - np.log(
                (c0 + a * (1 - pi)) / (W0 + a * k_seen * (1 - pi))
            )
            self.tables_[j] = np.where(seen, llr, 0.0)
        return self

    def terms(self, X):
        bins = self._bins(X)
        return np.column_stack([self.tables_[j][bins[:, j]] for j in range(X.shape[1])])


class LeadScorer(ClassifierMixin, BaseEstimator):
    """Probability that a lead is won, from a lead snapshot (dict of pre-outcome fields).

    :param spec: :class:`FeatureSpec` (features used, admin exclusions)
    :param recalibration_fraction: most recent share of training leads used to fit the blend/calibration
    :param half_life: optional recency weighting: weight halves every ``half_life`` share of history
    :param stability_min_auc: drift screen: a field whose naive-Bayes term, learnt on the older training
        leads, ranks the most recent slice (``recalibration_fraction``) below this AUC is left out (its
        effect did not hold over time); ``None`` keeps every field. Decided on training leads only.
    :param min_won, min_lost: refuse to train below these counts (:class:`InsufficientHistory`)
    """

    def __init__(
        self,
        spec=None,
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        nb_bins=10,
        nb_alpha=1.0,
        recalibration_fraction=0.2,
        half_life=None,
        min_won=MIN_WON,
        min_lost=MIN_LOST,
        random_state=0,
        stability_min_auc=0.5,
    ):
        self.spec = spec
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.nb_bins = nb_bins
        self.nb_alpha = nb_alpha
        self.recalibration_fraction = recalibration_fraction
        self.half_life = half_life
        self.min_won = min_won
        self.min_lost = min_lost
        self.random_state = random_state
        self.stability_min_auc = stability_min_auc

    # -- training ---------------------------------------------------------------------------------------
    def _weights(self, n):
        if not self.half_life:
            return np.ones(n)
        age = (n - 1 - np.arange(n)) / max(n, 1)  # 0 for the newest lead, ~1 for the oldest
        return 0.5 ** (age / self.half_life)

    def _unstable_fields(self, spec, snapshots, y, cut):
        """Fields whose effect learnt before ``cut`` does not rank the leads after it (AUC below threshold)."""
        encoder = LeadFeatureEncoder(spec).fit(snapshots[:cut], y[:cut])
        naive_bayes = NaiveBayesTerms(self.nb_bins, self.nb_alpha).fit(
            encoder.transform(snapshots[:cut]),
            y[:cut],
            self._weights(cut),
            encoder.categorical_mask_,
        )
        terms = naive_bayes.terms(encoder.transform(snapshots[cut:]))
        unstable = set()
        self.stability_auc_ = {}
        for j, name in enumerate(encoder.feature_names_):
            if name.startswith("tag:") or np.ptp(terms[:, j]) == 0:
                continue
            auc = float(roc_auc_score(y[cut:], terms[:, j]))
            self.stability_auc_[name] = auc
            if auc < self.stability_min_auc:
                unstable.add(name)
        kept = set(encoder.feature_names_) - unstable
        return frozenset(unstable) if kept else frozenset()

    def _fit_components(self, snapshots, y, spec):
        encoder = LeadFeatureEncoder(spec).fit(snapshots, y)
        X = encoder.transform(snapshots)
        weights = self._weights(len(y))
        trees = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            min_samples_leaf=self.min_samples_leaf,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        ).fit(X, y, sample_weight=weights)
        naive_bayes = NaiveBayesTerms(self.nb_bins, self.nb_alpha).fit(
            X, y, weights, encoder.categorical_mask_
        )
        return encoder, trees, naive_bayes

    @staticmethod
    def _component_scores(encoder, trees, naive_bayes, snapshots):
        X = encoder.transform(snapshots)
        return trees.decision_function(X), naive_bayes.prior_ + naive_bayes.terms(X).sum(axis=1)

    def fit(self, X, y, sample_order=None):
        """Train on closed leads.

        :param X: list of snapshot dicts (or DataFrame), pre-outcome fields only
        :param y: 1 for won, 0 for lost
        :param sample_order: sortable creation keys (dates, ids); ``None`` means X is already oldest first
        """
        snapshots = as_snapshots(X)
        y = np.asarray(y).astype(int).ravel()
        if len(snapshots) != len(y):
            raise ValueError("X and y have different lengths")
        if not set(np.unique(y)) <= {0, 1}:
            raise ValueError("y must be 0 (lost) or 1 (won)")
        n_won, n_lost = int(y.sum()), int(len(y) - y.sum())
        if n_won < self.min_won or n_lost < self.min_lost:
            raise InsufficientHistory(
                f"need at least {self.min_won} won and {self.min_lost} lost leads, got {n_won} won and "
                f"{n_lost} lost: keep Odoo's predictive lead scoring"
            )
        if sample_order is not None:
            order = np.argsort(np.asarray(sample_order), kind="stable")
            snapshots = [snapshots[i] for i in order]
            y = y[order]

        cut = int(len(y) * (1 - self.recalibration_fraction))
        older, recent = slice(0, cut), slice(cut, None)
        y_old, y_new = y[older], y[recent]
        can_recalibrate = (
            0 < self.recalibration_fraction < 1
            and min(y_new.sum(), len(y_new) - y_new.sum()) >= 10
            and min(y_old.sum(), len(y_old) - y_old.sum()) >= 10
        )
        spec = self.spec if self.spec is not None else FeatureSpec()
        self.unstable_fields_ = frozenset()
        self.stability_auc_ = {}
        if can_recalibrate and self.stability_min_auc is not None:
            self.unstable_fields_ = self._unstable_fields(spec, snapshots, y, cut)
            spec = dataclasses.replace(spec, excluded=spec.excluded | self.unstable_fields_)
        if can_recalibrate:
            parts = self._fit_components(snapshots[older], y_old, spec)
            h, n = self._component_scores(*parts, snapshots[recent])
            blend = LogisticRegression(C=1e4, max_iter=1000).fit(np.column_stack([h, n]), y_new)
            self.blend_coef_ = blend.coef_[0].astype(float)
            self.blend_intercept_ = float(blend.intercept_[0])
        else:
            self.blend_coef_ = np.array([0.5, 0.5])
            self.blend_intercept_ = 0.0
        self.encoder_, self.trees_, self.naive_bayes_ = self._fit_components(snapshots, y, spec)
        # Reference point of the naive-Bayes terms for explanations (explain.py).
        self.naive_bayes_means_ = self.naive_bayes_.terms(self.encoder_.transform(snapshots)).mean(
            axis=0
        )
        self.classes_ = np.array([0, 1])
        self.feature_names_in_ = np.array(self.encoder_.feature_names_, dtype=object)
        self.n_features_in_ = len(self.encoder_.feature_names_)
        self.n_won_, self.n_lost_ = n_won, n_lost
        self.recalibrated_ = bool(can_recalibrate)
        return self

    # -- scoring ----------------------------------------------------------------------------------------
    def transform(self, X):
        return self.encoder_.transform(as_snapshots(X))

    def decision_function_encoded(self, X_encoded):
        h = self.trees_.decision_function(X_encoded)
        n = self.naive_bayes_.prior_ + self.naive_bayes_.terms(X_encoded).sum(axis=1)
        b, c = self.blend_coef_
        return self.blend_intercept_ + b * h + c * n

    def decision_function(self, X):
        """Final log-odds of winning, the quantity the explanations add up to."""
        return self.decision_function_encoded(self.transform(X))

    def predict_proba(self, X):
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_tree_explainer", None)  # rebuilt on demand, not part of the saved model
        return state
