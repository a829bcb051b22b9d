#!/bin/sh
# Refresh resources/i18n/lzt_en.ts from the GUI's tr() strings (existing translations are kept),
# then compile it to the .qm that ships. Translate new entries in the .ts (e.g. with pyside6-linguist).
set -e
cd "$(dirname "$0")/.."
pyside6-lupdate lzt/gui/*.py lzt/gui/*/*.py -ts resources/i18n/lzt_en.ts
pyside6-lrelease resources/i18n/lzt_en.ts -qm resources/i18n/lzt_en.qm
