#!/usr/bin/env python3
# Copied from ../shared/bench/gen_corpus.py (the shared build-speed corpus, issue 14), so that
# scripts/bench/build-speed.sh runs from a clone alone. Added here: --distinct-formulas (every
# formula of the corpus differs, so a cold build measures KaTeX, not the render cache; the shared
# generator repeats the same two formulas on every page). Without the flag, output is identical
# to the shared generator's.
"""Synthetic bilingual markdown corpus for timing site builds.

usage: gen_corpus.py OUT_DIR N_PAGES [--hugo] [--distinct-formulas]
Writes N_PAGES pages per language under OUT_DIR/{zh,en}/ (or Hugo's
content/ layout with --hugo). Deterministic for a given N. --distinct-formulas
gives every inline and display formula a number of its own (page, language, section).
"""
import os, random, sys

ZH = "损失函数是用来评价模型预测值和真实值之间的差别程度通常来说是最优化问题的目标函数为了避免过拟合采用结构化风险函数"
EN = "the loss function measures how far the prediction is from the ground truth and is the objective of the optimisation problem".split()

def para(rng, lang):
    if lang == "zh":
        return "".join(rng.choice(ZH) for _ in range(rng.randint(80, 160))) + "。"
    return " ".join(rng.choice(EN) for _ in range(rng.randint(40, 80))).capitalize() + "."

def page(rng, i, n, lang, distinct=False):
    # A number unique to this page, language and formula: each formula is typeset, none cached.
    tag = lambda s: f" + {(i * 2 + (lang == 'en')) * 4 + s}" if distinct else ""
    out = [f"# {'笔记' if lang == 'zh' else 'Note'} {i}\n"]
    for s in range(3):
        out.append(f"## {'小节' if lang == 'zh' else 'Section'} {s}\n")
        out.append(para(rng, lang) + "\n")
        out.append(f"Inline math $s_i^c = \\frac{{e^{{z_c}}}}{{\\sum_k e^{{z_k}}}}{tag(s)}$ and a link to [page {(i+s+1)%n}](p{(i+s+1)%n}.md).\n")
    out.append("$$\n\\mathcal{L}_{CE} = -\\frac{1}{N}\\sum_{i=1}^{N}\\sum_{c=1}^{C} g_i^c \\log s_i^c" + tag(3) + "\n$$\n")
    out.append("| loss | value | note |\n|---|---|---|\n" + "".join(f"| l{j} | {rng.random():.6f} | {para(rng, lang)[:30]} |\n" for j in range(6)))
    out.append("```python\nimport torch\nloss = torch.nn.functional.cross_entropy(logits, target)\n```\n")
    out.append(para(rng, lang) + "\n")
    return "\n".join(out)

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    hugo = "--hugo" in sys.argv
    distinct = "--distinct-formulas" in sys.argv
    rng = random.Random(n)
    for lang in ("zh", "en"):
        d = os.path.join(out, "content", lang) if hugo else os.path.join(out, lang)
        os.makedirs(d, exist_ok=True)
        for i in range(n):
            body = page(rng, i, n, lang, distinct)
            if hugo:
                body = f"---\ntitle: \"p{i}\"\n---\n" + body
            with open(os.path.join(d, f"p{i}.md"), "w") as f:
                f.write(body)
    if hugo:
        with open(os.path.join(out, "hugo.toml"), "w") as f:
            f.write('baseURL = "http://localhost/"\ntitle = "bench"\ndefaultContentLanguage = "zh"\ndisableKinds = ["taxonomy","term","RSS"]\n'
                    '[languages.zh]\ncontentDir = "content/zh"\nweight = 1\n[languages.en]\ncontentDir = "content/en"\nweight = 2\n'
                    '[markup.goldmark.renderer]\nunsafe = true\n')
        os.makedirs(os.path.join(out, "layouts", "_default"), exist_ok=True)
        with open(os.path.join(out, "layouts", "_default", "single.html"), "w") as f:
            f.write("<!doctype html><html><head><title>{{ .Title }}</title></head><body><nav>{{ .TableOfContents }}</nav><main>{{ .Content }}</main></body></html>\n")
        with open(os.path.join(out, "layouts", "_default", "list.html"), "w") as f:
            f.write("<!doctype html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</body></html>\n")

main()
