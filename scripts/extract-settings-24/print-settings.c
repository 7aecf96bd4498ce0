/* Prints every setting definition Dovecot 2.4's config parser knows, one per line:
   struct<TAB>key<TAB>type<TAB>flags<TAB>enum values (a:b:c, first = default)<TAB>required setting<TAB>name setting
   (the setting a named list filter keeps its name in, its filter_array_field_name)
   Linked against a Dovecot build tree's all-settings.o (core) by extract-settings-24.sh; with
   arguments MODULE.so:NAME it also prints the NAME_set_infos of loadable settings modules (Pigeonhole). */
#include "lib.h"
#include "settings-parser.h"
#include <dlfcn.h>
#include <stdio.h>

extern const struct setting_parser_info *all_default_infos[];

static const char *const type_names[] = {
	"SET_BOOL", "SET_UINTMAX", "SET_UINT", "SET_UINT_OCT", "SET_TIME", "SET_TIME_MSECS", "SET_SIZE",
	"SET_IN_PORT", "SET_STR", "SET_STR_NOVARS", "SET_ENUM", "SET_FILE", "SET_STRLIST", "SET_BOOLLIST",
	"SET_ALIAS", "SET_FILTER_NAME", "SET_FILTER_ARRAY",
};

static void print_info(const struct setting_parser_info *info)
{
	for (const struct setting_define *def = info->defines; def->key != NULL; def++) {
		const char *values = "";
		if (def->type == SET_ENUM && info->defaults != NULL)
			values = *(const char *const *)((const char *)info->defaults + def->offset);
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", info->name, def->key, type_names[def->type],
		       (def->flags & SET_FLAG_HIDDEN) != 0 ? "hidden" : "",
		       values, def->required_setting == NULL ? "" : def->required_setting,
		       def->filter_array_field_name == NULL ? "" : def->filter_array_field_name);
	}
}

int main(int argc, char *argv[])
{
	for (unsigned int i = 0; all_default_infos[i] != NULL; i++)
		print_info(all_default_infos[i]);
	for (int i = 1; i < argc; i++) {
		char *spec = argv[i], *colon = strrchr(spec, ':');
		if (colon == NULL) return 2;
		*colon = '\0';
		void *handle = dlopen(spec, RTLD_NOW | RTLD_GLOBAL);
		if (handle == NULL) { fprintf(stderr, "%s\n", dlerror()); return 1; }
		char symbol[256];
		snprintf(symbol, sizeof(symbol), "%s_set_infos", colon + 1);
		const struct setting_parser_info *const *infos = dlsym(handle, symbol);
		if (infos == NULL) { fprintf(stderr, "%s: no %s\n", spec, symbol); return 1; }
		for (unsigned int j = 0; infos[j] != NULL; j++)
			print_info(infos[j]);
	}
	return 0;
}
