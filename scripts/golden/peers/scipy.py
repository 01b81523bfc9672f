"""SciPy ``scipy.ndimage.distance_transform_edt`` cases (``scipy.json``)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403 (the shared generator, helpers and peer imports)


def scipy_edt():
    for name, shape, spacing, density in [
        ("1d", (17,), None, 0.6), ("2d", (7, 9), None, 0.7), ("2d-aniso", (8, 6), (0.5, 2.0), 0.75),
        ("3d-aniso", (4, 5, 6), (1.0, 0.7, 1.3), 0.8), ("2d-single-zero", (5, 5), None, None),
        ("3d-large-aniso", (6, 7, 8), (0.5, 1.7, 1.0), 0.9), ("2d-scalar-sampling", (6, 9), (2.0,), 0.6),
        ("2d-all-zero", (4, 4), None, 0.0), ("4d", (3, 3, 4, 3), (1.0, 2.0, 0.5, 1.5), 0.85),
    ]:
        if density is None:
            mask = np.ones(shape, dtype=np.float32)
            mask[2, 3] = 0
        else:
            mask = (rng.random(shape) < density).astype(np.float32)
        if mask.all():
            mask.flat[0] = 0  # scipy's value without any zero is an artefact; ours is +∞ (tested in Swift)
        d = scipy.ndimage.distance_transform_edt(mask, sampling=spacing[0] if spacing and len(spacing) == 1 else spacing)
        call = f"scipy.ndimage.distance_transform_edt(mask{'' if spacing is None else f', sampling={spacing}'})"
        CASES["scipy"].append({
            "name": f"edt-{name}", "id": "edt", "params": {},
            "peer": {"library": "scipy", "call": call},
            "input": encode_input(mask), "target": None,
            "spacing": None if spacing is None else list(spacing),
            "value": encode_output(d), "grad": None,
            "rtol": 1e-6, "atol": 1e-6, "grad_atol": None,
        })
