/* SPDX-License-Identifier: MIT */
/*
 * i18n.h - marking user-visible text for translation
 *
 * _("text") marks a string that is shown to people (report headings,
 * labels, messages, help) and returns its translation in the report
 * language.  N_("text") marks a string in a static table for extraction
 * only; translate it with _() where it is printed.  Machine-readable
 * output (JSON keys, CSV headers, metric names) is never translated.
 *
 * Until gettext is wired in, both are the identity.
 */
#ifndef BOUNCELOG_I18N_H
#define BOUNCELOG_I18N_H

#define _(text) (text)
#define N_(text) (text)

#endif
