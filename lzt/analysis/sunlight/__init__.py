"""Sunlight hours (日照分析): the statutory rule, receivers, the horizon test and the
workspace-level analysis with a proposal's impact."""
