import Markdown
