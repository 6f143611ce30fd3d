/* Self-service pages and the second step of signing in (views/account.c,
 * views/login.c). */
#ifndef PROXIMA_VIEWS_ACCOUNT_H
#define PROXIMA_VIEWS_ACCOUNT_H

#include "views/view.h"

enum perr view_account(struct request *req, struct response *resp);
enum perr view_account_password(struct request *req, struct response *resp);
enum perr view_account_session_end(struct request *req, struct response *resp);
enum perr view_account_sign_out_everywhere(struct request *req, struct response *resp);
enum perr view_twofactor(struct request *req, struct response *resp);
enum perr view_twofactor_begin(struct request *req, struct response *resp);
enum perr view_twofactor_enable(struct request *req, struct response *resp);
enum perr view_twofactor_codes(struct request *req, struct response *resp);
enum perr view_twofactor_disable(struct request *req, struct response *resp);
enum perr view_account_link(struct request *req, struct response *resp);
enum perr view_account_link_use(struct request *req, struct response *resp);

/* GET/POST /connexion/code: the code of a two-factor sign-in. */
enum perr view_login_code_form(struct request *req, struct response *resp);
enum perr view_login_code_submit(struct request *req, struct response *resp);

#endif
