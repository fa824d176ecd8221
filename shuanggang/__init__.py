"""shuanggang: the toolkit for the Youth League's 团员“双岗双责” practice."""

__version__ = "0.1.0"
