"""Packaging for openedx-competency-portfolio: the Portfolio XBlock and the competency plugin."""
import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read(*parts):
    """Return the text of a file of this repository."""
    with open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


def load_requirements(path):
    """
    Read the direct dependencies from a requirements ``.in`` file (no pins, no -c lines), each
    with its environment marker (``XBlock>=5.0,<6.2; python_version < "3.12"``), which pip
    evaluates on the operator's Python.
    """
    requirements = []
    for line in read(path).splitlines():
        line = re.sub(r"\s*#.*$", "", line).strip()
        if line and not line.startswith(("-c", "-r", "--")):
            requirements.append(line)
    return requirements


def package_data(package, *roots):
    """List every file below ``roots`` of ``package`` (symbolic links are followed)."""
    files = []
    for root in roots:
        for dirpath, _dirnames, filenames in os.walk(os.path.join(HERE, package, root), followlinks=True):
            for filename in filenames:
                if filename.endswith((".pyc", "~")):
                    continue
                files.append(os.path.relpath(os.path.join(dirpath, filename), os.path.join(HERE, package)))
    return files


VERSION = re.search(r'__version__ = "([^"]+)"', read("competency_plugin", "__init__.py")).group(1)

setup(
    name="openedx-competency-portfolio",
    version=VERSION,
    description="Competency portfolio for Open edX: an evidence XBlock and a competence-framework plugin",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    packages=find_packages(include=["portfolio_xblock", "portfolio_xblock.*",
                                    "competency_plugin", "competency_plugin.*"]),
    package_data={
        "portfolio_xblock": package_data("portfolio_xblock", "templates", "static", "translations", "scenarios"),
        "competency_plugin": package_data("competency_plugin", "templates", "locale", "builtin_frameworks",
                                          "credentials/contexts")
        + package_data("competency_plugin", "frameworks/formats/case/schemas")
        + ["rest_api/v1/openapi.yaml"],
    },
    include_package_data=True,
    python_requires=">=3.11",
    install_requires=load_requirements("requirements/base.in"),
    extras_require={
        "bench": ["ora2"],
    },
    entry_points={
        "xblock.v1": ["portfolio = portfolio_xblock.block:PortfolioXBlock"],
        "lms.djangoapp": ["competency_plugin = competency_plugin.apps:CompetencyPluginConfig"],
        "cms.djangoapp": ["competency_plugin = competency_plugin.apps:CompetencyPluginConfig"],
        "openedx.course_tab": ["competency_portfolio = competency_plugin.tabs:PortfolioCourseTab"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5.2",
        "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)",
        "Natural Language :: French",
        "Natural Language :: English",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
    zip_safe=False,
)
